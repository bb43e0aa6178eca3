from quiz.mocks import finalise_expired


class FinaliseExpiredMocksMiddleware:
    """A mock interview whose time has run out is scored on the user's next request of any kind,
    so someone who closed the browser comes back to a finished, scored interview."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            finalise_expired(request.user)
        return self.get_response(request)

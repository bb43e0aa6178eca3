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


class PrivatePagesMiddleware:
    """Pages served to a signed-in user show their own data (answers, schedules, exports): no shared
    cache or browser history may keep them. Also a Permissions-Policy that turns off what the site
    never uses."""

    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "private, no-store"
        response.setdefault("Permissions-Policy", self.PERMISSIONS)
        return response

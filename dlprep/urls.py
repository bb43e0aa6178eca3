from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from quiz.views import accounts

urlpatterns = [
    path("", include("quiz.urls")),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/confirm-email/<str:token>/", accounts.confirm_email, name="confirm_email"),
    path("accounts/password_reset/", accounts.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

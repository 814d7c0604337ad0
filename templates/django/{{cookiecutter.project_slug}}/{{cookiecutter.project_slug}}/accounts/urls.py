from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest
from django.urls import include, path
from django_ratelimit.decorators import ratelimit

from .views import SignUpView


def email_address(group: str, request: HttpRequest) -> str:
    """The e-mail address a reset is asked for, as the reset form matches it (any case)."""
    return str(request.POST.get("email", "")).strip().lower()


# Sign-ups per client address; reset requests per client address and per e-mail address
# (mail bombing). Only the form posts count; past the limit, RATELIMIT_VIEW answers 429.
limit_signups = ratelimit(group="signup", key="ip", rate=settings.SIGNUP_RATE, method="POST")
limit_resets_by_client = ratelimit(
    group="password_reset", key="ip", rate=settings.PASSWORD_RESET_RATE, method="POST"
)
limit_resets_by_address = ratelimit(
    group="password_reset_email",
    key=email_address,
    rate=settings.PASSWORD_RESET_RATE,
    method="POST",
)

urlpatterns = [
    path("signup/", limit_signups(SignUpView.as_view()), name="signup"),
    path(
        "password_reset/",
        limit_resets_by_client(limit_resets_by_address(auth_views.PasswordResetView.as_view())),
        name="password_reset",
    ),
    # login, logout, password_change(_done), password_reset_done, _confirm, _complete
    path("", include("django.contrib.auth.urls")),
]

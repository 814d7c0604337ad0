from django.urls import include, path

from .views import SignUpView

urlpatterns = [
    path("signup/", SignUpView.as_view(), name="signup"),
    # login, logout, password_change(_done), password_reset(_done, _confirm, _complete)
    path("", include("django.contrib.auth.urls")),
]

from django.contrib.auth.forms import UserCreationForm

from .models import User


class SignUpForm(UserCreationForm):
    """Sign-up form for the project's user model."""

    class Meta:
        model = User
        fields = ("username", "email")

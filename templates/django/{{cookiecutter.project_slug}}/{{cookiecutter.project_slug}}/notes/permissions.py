from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from .models import Note


class IsOwnerOrReadOnly(permissions.BasePermission):
    """Anyone may read a note; only its owner may change or delete it."""

    def has_object_permission(self, request: Request, view: APIView, obj: Note) -> bool:
        return request.method in permissions.SAFE_METHODS or obj.owner == request.user

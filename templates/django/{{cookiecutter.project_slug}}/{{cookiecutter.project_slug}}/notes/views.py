from rest_framework import permissions, viewsets
from rest_framework.serializers import BaseSerializer

from .models import Note
from .permissions import IsOwnerOrReadOnly
from .serializers import NoteSerializer


class NoteViewSet(viewsets.ModelViewSet):
    """Notes: listed and read by anyone, created by signed-in users, changed by their owners."""

    queryset = Note.objects.select_related("owner")
    serializer_class = NoteSerializer
    permission_classes = (permissions.IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly)

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.save(owner=self.request.user)

from rest_framework import serializers

from .models import Note


class NoteSerializer(serializers.ModelSerializer):
    """A note; its owner is the user who creates it."""

    owner = serializers.ReadOnlyField(source="owner.username")

    class Meta:
        model = Note
        fields = ("id", "owner", "title", "body", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")

    def validate_title(self, value: str) -> str:
        """Refuse a title the same user already gave another note (case-insensitive)."""
        user = self.context["request"].user
        same_title = Note.objects.filter(owner=user, title__iexact=value)
        if self.instance is not None:
            same_title = same_title.exclude(pk=self.instance.pk)
        if same_title.exists():
            raise serializers.ValidationError("You already have a note with this title.")
        return value

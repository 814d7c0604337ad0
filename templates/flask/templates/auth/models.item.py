    # Who may change or delete it through the API (None: created elsewhere, e.g. the admin).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), default=None
    )

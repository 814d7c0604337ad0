

class User(UserMixin, Model):
    """A person who can log in; the password is stored hashed only."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    # Where password-reset links go (optional).
    email: Mapped[str | None] = mapped_column(String(254), unique=True, default=None)
    password_hash: Mapped[str] = mapped_column(String(255))
{%- if cookiecutter.admin %}
    is_admin: Mapped[bool] = mapped_column(default=False)
{%- endif %}
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def password_fingerprint(self) -> str:
        """A keyed digest of the password hash: it changes with every new password."""
        key = current_app.config["SECRET_KEY"].encode()
        return hmac.new(key, self.password_hash.encode(), hashlib.sha256).hexdigest()[:32]

    def get_id(self) -> str:
        """What sessions and remember cookies hold: the id and the password's fingerprint,
        so that a new password ends every session made with the old one (see auth.py)."""
        return f"{self.id}:{self.password_fingerprint()}"

    def __repr__(self) -> str:
        return f"<User {self.username!r}>"

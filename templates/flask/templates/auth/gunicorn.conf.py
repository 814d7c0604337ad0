

RESET_TOKEN = re.compile(r"(/password/reset/)[^/?#\s\"]+")


class RedactingLogger(Logger):
    """gunicorn's logger, with password-reset tokens replaced by ``[token]``."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {
            key: RESET_TOKEN.sub(r"\1[token]", value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


logger_class = RedactingLogger

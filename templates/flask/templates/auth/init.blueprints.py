    app.register_blueprint(auth.bp)
    app.register_blueprint(passwords.bp)

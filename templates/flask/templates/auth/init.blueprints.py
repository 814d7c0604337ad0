    app.register_blueprint(auth.bp)
    passwords.init_app(app)

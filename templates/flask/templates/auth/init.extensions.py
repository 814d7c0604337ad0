    login_manager.init_app(app)
    csrf.init_app(app)

    admin.init_app(app)

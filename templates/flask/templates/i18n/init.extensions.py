    i18n.init_app(app)

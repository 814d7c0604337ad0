    limiter.init_app(app)

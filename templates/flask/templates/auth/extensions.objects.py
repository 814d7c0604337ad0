login_manager = LoginManager()
login_manager.login_view = "auth.login"
csrf = CSRFProtect()

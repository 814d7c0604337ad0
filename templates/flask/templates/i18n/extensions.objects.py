babel = Babel()

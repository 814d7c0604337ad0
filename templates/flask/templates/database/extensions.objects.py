
class Base(DeclarativeBase):
    """The declarative base of the models."""


db = SQLAlchemy(model_class=Base)
# The base class of the models: db.Model, which type checkers see as the Base it extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()

# Serve only: the migrations are a release step of their own, run once per deployment
# (`flask --app {{ slug }} db upgrade`; compose's `migrate` service), never by each replica.

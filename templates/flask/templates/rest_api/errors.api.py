    if request.path.startswith("/api/"):
        response = error.get_response()
        response.set_data(json.dumps({"error": error.name, "message": error.description}))
        response.content_type = "application/json"
        return response

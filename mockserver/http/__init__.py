"""The mock's Flask application: the factory, the API's answers, rendering, auth, CORS, the docs page."""

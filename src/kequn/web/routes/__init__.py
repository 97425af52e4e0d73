"""The routes, one module per resource: the API's under ``/api`` (each module's router
carries its OpenAPI tag) and the dashboard's pages in :mod:`.pages`."""

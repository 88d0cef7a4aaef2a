"""The project: settings from the environment, the URL table, the request-id middleware
and the site's own pages (home, health check). It sits on top of every app."""

"""Files of dossiers over HTTP (tệp hồ sơ): upload and download beside `/graphql`, with the same
token and the same permission matrix."""

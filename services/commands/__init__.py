"""The province application's command methods, one mixin per feature (composed in province_app)."""

"""Emulation blocks (khối, cụm thi đua), their years, movements (phong trào) and registrations."""

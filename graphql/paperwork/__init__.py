"""File endpoints of the API (tải lên, tải về): Excel uploads, xlsx/docx/pdf downloads."""

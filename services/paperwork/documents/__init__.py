"""Documents (văn bản): DOCX drafts of the submission and the decision, PDF certificates."""

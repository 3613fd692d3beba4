"""Units (cơ quan, đơn vị) of the province."""

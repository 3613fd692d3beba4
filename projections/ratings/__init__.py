"""Monthly staff ratings (xếp loại hàng tháng) and year-end ratings."""

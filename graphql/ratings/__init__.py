"""Monthly staff ratings (đánh giá, xếp loại hàng tháng) and year-end ratings."""

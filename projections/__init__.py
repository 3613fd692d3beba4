"""Read models kept from each province's events (mô hình đọc), with their query functions."""

"""Excel lists in (nhập danh sách từ Excel): templates, checking, recording through the domain."""

"""Paperwork in and out (giấy tờ): what provincial boards receive and send on paper and in Excel.

- `excel_in/`: lists received as spreadsheets (units, staff, block members, a proposal's
  recipients, past decisions), checked whole, then recorded row by row through the province's
  command methods, the same path the API uses;
- `excel_out/`: standings, the awards register, rating sheets and a dossier's recipients as xlsx;
- `forms/`: the statistical forms of Circular 02/2023/TT-BNV (Mẫu 0601–0605);
- `documents/`: drafts of the submission (tờ trình) and the decision (quyết định) as DOCX in the
  format of Decree 30/2020/NĐ-CP, and certificates (Bằng khen, Giấy khen) as PDF;
- `sources.py`: how a decision's recipients, their awards and amounts are read: the one place
  the multi-award decisions and prize amounts of later work widen.
"""

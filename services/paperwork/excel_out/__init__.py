"""Excel out (xuất Excel): standings, the awards register, rating sheets, a dossier's recipients."""

"""Unit scoring (chấm điểm thi đua): the table, self-assessment, cross-check, classification, standings."""

"""The awards register (sổ khen thưởng): proposals, decisions, revocations, recipients."""

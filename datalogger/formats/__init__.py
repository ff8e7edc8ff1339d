"""The file formats of the manual's annexes, read into plain values (no database): annex I CSV
(energy index per load) and annex II EMS (any logged variable). A file that cannot be read at
all raises FileRejected; rows that cannot be stored are listed with their line and reason."""

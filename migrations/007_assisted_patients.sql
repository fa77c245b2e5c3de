-- 007_assisted_patients: the patients this region assists (it is their RDA, Regione Di Assistenza).
-- A query about one of them is answered from the regional registry, which holds the index of all their documents
-- wherever produced (INI sends their metadata here); a query about anybody else goes to INI. The list is fed by the
-- region's enrolment (fse-bridge patients assign) and by INI itself: INI sends a patient's metadata only to the RDA.
-- See: xds-ini digest 1.1 (RDA/RDE), 1.2, 1.4 E.
CREATE TABLE assisted_patient (
  patient_id text PRIMARY KEY,
  source     text NOT NULL CHECK (source IN ('enrolment', 'ini')),
  since      timestamptz NOT NULL DEFAULT now()
);

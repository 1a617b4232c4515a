"""HTML pages per audience (public, applicant, jury, Secretariat) on the API's services."""

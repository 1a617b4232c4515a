"""What the JSON API (`awards.api`) and the pages (`awards.web`) share about a request: who is
calling and which guards a handler declares, the parameters routes take, how domain errors
become answers, the session cookie, and the request observing middleware."""

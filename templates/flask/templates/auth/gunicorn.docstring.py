- Its access log (``--access-logfile -``) never shows a password-reset token: the
  paths, query strings and referrers it writes have the token cut out.

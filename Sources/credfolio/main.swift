import CredfolioCLI

Credfolio.main()

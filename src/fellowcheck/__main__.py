from fellowcheck.cli import main

main()

# The two commands of the README. Both set up everything they need on first use.
.PHONY: run test setup

run:    ## start the bot stack: Rasa, action server, gateway (Ctrl-C stops all)
	./kefu up

test:   ## run every test: unit, Rasa data validation, test stories, full stack
	bash scripts/system-packages.sh
	./kefu test

setup:  ## only install the environments and build the offline model
	./kefu setup

# Thin targets: each is one call of a script in deploy/local/, which finds a JDK 21+ and provisions what it needs.
# Arguments go through ARGS: make demo ARGS=--plaintext (or --once).
.PHONY: demo test bench chaos build

demo:
	deploy/local/demo $(ARGS)

test:
	deploy/local/test

bench:
	deploy/local/bench

chaos:
	deploy/local/chaos $(ARGS)

build:
	deploy/local/mvn -DskipTests install

containers:
	deploy/local/containers

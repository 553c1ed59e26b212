# Thin targets: each is one call of a script in deploy/local/, which finds a JDK 21+ and provisions what it needs.
.PHONY: demo test bench build

demo:
	deploy/local/demo

test:
	deploy/local/test

bench:
	deploy/local/bench

build:
	deploy/local/mvn -DskipTests install

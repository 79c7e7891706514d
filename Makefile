# pmem-jdk: an OpenJDK 17 whose Java heap can be persistent.
#
#   make          install build dependencies, fetch the pinned upstream,
#                 build build/jdk and run the demo
#   make test     build if needed, then run every test suite
#   make dist     build if needed, then build/dist/pmem-jdk-<version>-linux-x64.tar.gz
#
# Large state lives in $(PMEM_JDK_CACHE) (default ~/.cache/pmem-jdk), outside
# the checkout: the downloaded source package, the upstream tree, the
# patched working tree, OpenJDK's build tree and ccache.
#   make clean      removes build/ and OpenJDK's build tree (keeps sources, ccache)
#   make distclean  removes the whole cache directory too

PMEM_JDK_CACHE ?= $(HOME)/.cache/pmem-jdk
export PMEM_JDK_CACHE
JDK := build/jdk

.PHONY: all deps fetch build jdk demo test test-quick torture dist clean distclean
all: build demo

deps:
	@bash make/deps.sh

fetch: deps
	@bash make/fetch.sh

build: fetch
	@bash make/build.sh

# The JDK alone, when the dependencies are known to be there.
jdk:
	@bash make/build.sh

demo:
	@bash make/demo.sh

test: build
	@bash make/test.sh

# Only our own tests (gtest and jtreg), for a quick edit-build-test loop.
test-quick: jdk
	@bash make/test.sh quick

# Long crash campaigns (thousands of crashes), outside CI; counts in bench/RESULTS.md.
torture: jdk
	@bash make/test.sh torture

# build/dist/pmem-jdk-<version>-linux-x64.tar.gz (and .sha256): the JDK
# image with the docs and examples, laid out like other JDK tarballs.
dist: build
	@bash make/dist.sh

clean:
	rm -rf build "$(PMEM_JDK_CACHE)/tree/build" "$(PMEM_JDK_CACHE)/stage" "$(PMEM_JDK_CACHE)/jtreg"

distclean: clean
	rm -rf "$(PMEM_JDK_CACHE)"

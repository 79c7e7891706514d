/*
 * Copyright (c) 2026, the pmem-jdk authors. All rights reserved.
 * DO NOT ALTER OR REMOVE COPYRIGHT NOTICES OR THIS FILE HEADER.
 *
 * This code is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License version 2 only, as
 * published by the Free Software Foundation.  The pmem-jdk authors
 * designate this particular file as subject to the "Classpath" exception
 * as provided in the LICENSE file that accompanied this code.
 *
 * This code is distributed in the hope that it will be useful, but WITHOUT
 * ANY WARRANTY; without even the implied warranty of MERCHANTABILITY or
 * FITNESS FOR A PARTICULAR PURPOSE.  See the GNU General Public License
 * version 2 for more details (a copy is included in the LICENSE file that
 * accompanied this code).
 *
 * You should have received a copy of the GNU General Public License version
 * 2 along with this work; if not, write to the Free Software Foundation,
 * Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301 USA.
 */

/*
 * @test
 * @summary java -version names pmem-jdk and the pinned upstream version,
 *          with and without the persistent heap; the image trusts the system CA store.
 * @library /test/lib /pmem/lib
 * @run driver TestVersion
 */

import java.nio.file.Files;
import java.nio.file.Path;

import jdk.test.lib.process.OutputAnalyzer;

public class TestVersion {
    public static void main(String[] args) throws Exception {
        String file = PmemTest.heapFile("version");
        for (String[] flags : new String[][] {{}, PmemTest.flags(file)}) {
            OutputAnalyzer out = PmemTest.run(PmemTest.concat(flags, new String[] {"-version"}));
            out.shouldHaveExitValue(0);
            out.stderrShouldMatch("openjdk version \"17\\.0\\.\\d+\"");
            out.stderrShouldMatch("OpenJDK Runtime Environment pmem-jdk \\(build 17\\.0\\.\\d+\\+\\d+-pmem\\)");
            out.stderrShouldMatch("OpenJDK 64-Bit Server VM pmem-jdk \\(build 17\\.0\\.\\d+\\+\\d+-pmem, mixed mode");
        }
        // The vendor is ours, not the upstream distribution's.
        OutputAnalyzer props = PmemTest.run("-XshowSettings:properties", "-version");
        props.shouldHaveExitValue(0);
        props.stderrShouldMatch("java\\.vendor = pmem-jdk");
        props.stderrShouldMatch("java\\.vm\\.vendor = pmem-jdk");
        // Like Debian's own JDK, the image trusts the system's CA store (ca-certificates-java).
        Path system = Path.of("/etc/ssl/certs/java/cacerts");
        Path ours = Path.of(System.getProperty("test.jdk"), "lib", "security", "cacerts");
        if (Files.exists(system) && !Files.isSameFile(system, ours)) {
            throw new RuntimeException(ours + " is not the system CA store " + system);
        }
        PmemTest.cleanup();
    }
}

package dev.airlock.skills.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dockerfile parser and the box builder, with hostile build contexts and packages. */
class BoxBuilderTest {
    @TempDir Path ctx;
    @TempDir Path outside;

    BoxBuilder.Built build(String dockerfile) throws BoxException {
        return build(dockerfile, null);
    }

    BoxBuilder.Built build(String dockerfile, Path packages) throws BoxException {
        return BoxBuilder.build(dockerfile, new BoxBuilder.Options(ctx, packages, Map.of()));
    }

    void file(String rel, String content) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void parsesContinuationsCommentsDirectivesAndBothForms() throws Exception {
        Dockerfile df =
                Dockerfile.parse(
                        "# escape=`\n# a comment\nFROM python:3.13\nRUN pip install `\n  # inside\n  a b\nCMD [\"python\", \"x.py\"]\nCMD python x.py\n");
        assertThat(df.escape()).isEqualTo('`');
        List<Dockerfile.Instruction> in = df.instructions();
        assertThat(in).hasSize(4);
        assertThat(in.get(1).line()).isEqualTo(4);
        assertThat(in.get(1).args()).isEqualTo("pip install    a b");
        assertThat(in.get(2).exec()).containsExactly("python", "x.py");
        assertThat(in.get(3).exec()).isNull();
        assertThatThrownBy(() -> Dockerfile.parse("FROM python:3.13\nRUN <<EOF\necho\nEOF\n"))
                .isInstanceOf(BoxException.class)
                .hasMessageContaining("heredoc");
        assertThatThrownBy(() -> Dockerfile.parse("# only a comment\n"))
                .hasMessageContaining("no instructions");
    }

    @Test
    void substitutesArgAndEnvWithDefaults() throws Exception {
        file("app.py", "import json\nimport mine\nfrom os import path\n");
        file("mine.py", "");
        BoxBuilder.Built b =
                BoxBuilder.build(
                        "ARG V=3.11\nFROM python:${V}\nARG DIR\nENV HOME_DIR=/srv/${DIR:-app} OTHER=\"a b\"\nENV LEGACY some words here\nWORKDIR $HOME_DIR\nCOPY *.py ./\nLABEL x=${UNSET:+no}y\nCMD [\"python\", \"app.py\"]\n",
                        new BoxBuilder.Options(ctx, null, Map.of("V", "3.12")));
        assertThat(b.spec().from()).isEqualTo("python:3.12");
        assertThat(b.warnings())
                .anyMatch(w -> w.contains("asks for Python 3.12; the box runs Python 3.13"));
        assertThat(b.spec().env())
                .containsEntry("HOME_DIR", "/srv/app")
                .containsEntry("OTHER", "a b")
                .containsEntry("LEGACY", "some words here");
        assertThat(b.spec().workdir()).isEqualTo("/srv/app");
        assertThat(b.rootfs()).containsKeys("/srv/app/app.py", "/srv/app/mine.py");
        assertThat(b.spec().labels()).containsEntry("x", "y");
        assertThat(b.spec().warm()).containsExactly("json", "os");
    }

    @Test
    void argsBeforeFromAreForFromOnlyUnlessDeclaredAgain() throws Exception {
        file("app.py", "");
        BoxBuilder.Built b =
                build(
                        "ARG V=3.13\nARG HIDDEN=secret\nARG KEPT=kept\nFROM python:${V}\nARG KEPT\n"
                                + "ENV A=${HIDDEN:-unset} B=${KEPT} C=${V:-unset}\nWORKDIR /app\n"
                                + "COPY app.py .\nCMD [\"python\", \"app.py\"]\n");
        assertThat(b.spec().from()).isEqualTo("python:3.13");
        // as docker: not visible after FROM unless declared again, then with its earlier value
        assertThat(b.spec().env())
                .containsEntry("A", "unset")
                .containsEntry("B", "kept")
                .containsEntry("C", "unset");
    }

    @Test
    void refusesWhatItCannotHonourWithTheLine() throws Exception {
        file("app.py", "");
        String head = "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\n";
        assertThatThrownBy(
                        () ->
                                build(
                                        head
                                                + "RUN apt-get install -y git\nCMD [\"python\", \"app.py\"]\n"))
                .isInstanceOf(BoxException.class)
                .satisfies(e -> assertThat(((BoxException) e).line()).isEqualTo(4))
                .hasMessage(
                        "RUN apt-get install -y git is not supported (only pip install and npm install of pure packages from --packages)");
        assertThatThrownBy(() -> build(head + "RUN pip install x | tee log\n"))
                .hasMessageContaining("RUN pip install x | tee log is not supported");
        assertThatThrownBy(() -> build(head + "RUN [\"/bin/sh\", \"-c\", \"pip install x\"]\n"))
                .hasMessageContaining("is not supported");
        assertThatThrownBy(() -> build(head + "FROM python:3.13\n"))
                .hasMessageContaining("multi-stage");
        assertThatThrownBy(() -> build(head + "COPY --from=base /x /y\n"))
                .hasMessageContaining("multi-stage");
        assertThatThrownBy(() -> build(head + "ADD https://api.example.com/x.tgz /x\n"))
                .hasMessageContaining("fetching URLs is not supported");
        assertThatThrownBy(() -> build(head + "CMD python app.py | cat\n"))
                .hasMessageContaining("plain command");
        assertThatThrownBy(() -> build(head + "SHELL [\"/bin/bash\"]\n"))
                .hasMessageContaining("SHELL [\"/bin/bash\"] is not supported");
        assertThatThrownBy(() -> build("FROM ubuntu:24.04\n"))
                .hasMessageContaining("FROM ubuntu:24.04 is not supported");
        assertThatThrownBy(() -> build(head + "CMD [\"bash\", \"-c\", \"python app.py\"]\n"))
                .hasMessageContaining("must start with python");
        assertThatThrownBy(() -> build(head + "CMD [\"python\", \"missing.py\"]\n"))
                .hasMessageContaining("/app/missing.py is not in the box");
        assertThatThrownBy(() -> build(head + "COPY app.py /tmp/\nCMD [\"python\", \"app.py\"]\n"))
                .hasMessageContaining("/tmp is the sandbox's own");
    }

    @Test
    void hostileContextsAreRefused() throws Exception {
        file("app/app.py", "");
        Files.writeString(outside.resolve("secret"), "s3cret");
        Path sub = ctx.resolve("app");
        String df = "FROM python:3.13\nWORKDIR /app\nCOPY %s .\nCMD [\"python\", \"app.py\"]\n";
        BoxBuilder.Options o = new BoxBuilder.Options(sub, null, Map.of());
        assertThatThrownBy(() -> BoxBuilder.build(df.formatted("../app/app.py ../../secret"), o))
                .hasMessageContaining("outside the build context");
        Files.createSymbolicLink(sub.resolve("link"), outside.resolve("secret"));
        assertThatThrownBy(() -> BoxBuilder.build(df.formatted("link"), o))
                .hasMessageContaining("link to outside the build context");
        assertThatThrownBy(() -> BoxBuilder.build(df.formatted("."), o))
                .hasMessageContaining("link to outside the build context");
        Files.delete(sub.resolve("link"));
        Files.createSymbolicLink(sub.resolve("dir"), outside);
        assertThatThrownBy(() -> BoxBuilder.build(df.formatted("dir/secret"), o))
                .hasMessageContaining("link to outside the build context");
        Files.delete(sub.resolve("dir"));
        // a link that stays inside is followed
        Files.createSymbolicLink(sub.resolve("alias.py"), sub.resolve("app.py"));
        assertThat(BoxBuilder.build(df.formatted("alias.py app.py"), o).rootfs())
                .containsKey("/app/alias.py");
    }

    @Test
    void addUnpacksArchivesButNotThoseThatClimbOut() throws Exception {
        file("app.py", "");
        Files.write(ctx.resolve("ok.tar"), tar("pkg/data.txt", "hello"));
        Files.write(ctx.resolve("evil.tar"), tar("../../etc/evil", "x"));
        Files.write(ctx.resolve("abs.tar"), tar("/etc/evil", "x"));
        String head =
                "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n";
        assertThat(build(head + "ADD ok.tar /data/\n").rootfs())
                .containsEntry("/data/pkg/data.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(build(head + "COPY ok.tar /data/\n").rootfs()).containsKey("/data/ok.tar");
        assertThatThrownBy(() -> build(head + "ADD evil.tar /data/\n"))
                .hasMessageContaining("climbs out");
        assertThatThrownBy(() -> build(head + "ADD abs.tar /data/\n"))
                .hasMessageContaining("absolute");
    }

    @Test
    void takesOnlyPurePackages() throws Exception {
        file("app.py", "import good\n");
        Path pk = outside.resolve("pk");
        Files.createDirectories(pk);
        Files.write(
                pk.resolve("good-1.0-py3-none-any.whl"),
                zip(
                        Map.of(
                                "good/__init__.py",
                                "X = 1\n",
                                "good-1.0.dist-info/WHEEL",
                                "Root-Is-Purelib: true\n",
                                "good-1.0.dist-info/METADATA",
                                "Name: good\nRequires-Dist: dep\nRequires-Dist: extra-only ; extra == \"x\"\n")));
        Files.write(pk.resolve("dep-2.0-py3-none-any.whl"), zip(Map.of("dep.py", "")));
        Files.write(
                pk.resolve("fast-1.0-cp313-cp313-linux_x86_64.whl"),
                zip(
                        Map.of(
                                "fast/_speed.so",
                                "\0ELF",
                                "fast-1.0.dist-info/WHEEL",
                                "Root-Is-Purelib: false\n")));
        Files.write(pk.resolve("sneaky-1.0-py3-none-any.whl"), zip(Map.of("../../evil.py", "")));
        String head =
                "FROM python:3.13\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n";
        BoxBuilder.Built b = build(head + "RUN pip install --no-cache-dir good==1.0\n", pk);
        assertThat(b.site()).containsKeys("good/__init__.py", "dep.py");
        assertThat(b.spec().warm()).containsExactly("good");
        assertThatThrownBy(() -> build(head + "RUN pip install fast\n", pk))
                .hasMessageContaining("not pure Python");
        assertThatThrownBy(() -> build(head + "RUN pip install sneaky\n", pk))
                .hasMessageContaining("climbs out");
        assertThatThrownBy(() -> build(head + "RUN pip install good==2.0\n", pk))
                .hasMessageContaining("good==2.0 is not in --packages");
        // the highest version that satisfies the specifier, in version order, not name order
        for (String v : List.of("1.9", "1.10", "2.0rc1")) {
            Files.write(
                    pk.resolve("ranged-" + v + "-py3-none-any.whl"),
                    zip(Map.of("ranged/v" + v.replace('.', '_') + ".py", "")));
        }
        assertThat(build(head + "RUN pip install 'ranged>=1.2,<2'\n", pk).site())
                .containsKey("ranged/v1_10.py")
                .doesNotContainKeys("ranged/v1_9.py", "ranged/v2_0rc1.py");
        assertThat(build(head + "RUN pip install ranged~=1.9.0\n", pk).site())
                .containsKey("ranged/v1_9.py");
        assertThat(build(head + "RUN pip install 'ranged>=2.0rc1'\n", pk).site())
                .containsKey("ranged/v2_0rc1.py");
        // only pre-releases satisfy: then they are taken
        assertThat(build(head + "RUN pip install 'ranged>1.10'\n", pk).site())
                .containsKey("ranged/v2_0rc1.py");
        assertThatThrownBy(() -> build(head + "RUN pip install 'ranged>=3'\n", pk))
                .hasMessageContaining("ranged>=3 is not in --packages");
        assertThatThrownBy(() -> build(head + "RUN pip install 'ranged>>3'\n", pk))
                .hasMessageContaining("not a version specifier: >>3");
        assertThatThrownBy(() -> build(head + "RUN pip install good\n", null))
                .hasMessageContaining("needs --packages");
        Files.createDirectories(pk.resolve("scripted"));
        Files.writeString(
                pk.resolve("scripted/package.json"),
                "{\"name\":\"scripted\",\"scripts\":{\"postinstall\":\"node x.js\"}}");
        Files.createDirectories(pk.resolve("esm"));
        Files.writeString(pk.resolve("esm/package.json"), "{\"name\":\"esm\",\"type\":\"module\"}");
        Files.createDirectories(pk.resolve("addon"));
        Files.writeString(pk.resolve("addon/package.json"), "{\"name\":\"addon\"}");
        Files.writeString(pk.resolve("addon/binding.gyp"), "{}");
        String node = "FROM node:22\nWORKDIR /app\nCOPY app.py .\nCMD [\"node\", \"app.py\"]\n";
        assertThatThrownBy(() -> build(node + "RUN npm install scripted\n", pk))
                .hasMessageContaining("runs an postinstall script");
        // an ES module package installs (its files are turned into CommonJS when bundled)
        assertThat(build(node + "RUN npm install esm\n", pk).rootfs().keySet())
                .anyMatch(k -> k.endsWith("node_modules/esm/package.json"));
        assertThatThrownBy(() -> build(node + "RUN npm install addon\n", pk))
                .hasMessageContaining("not pure JavaScript");
        assertThatThrownBy(() -> build(node + "RUN npm install -g addon\n", pk))
                .hasMessageContaining("is not supported");
    }

    @Test
    void dependenciesAndRequirementsFollowTheirMarkers() throws Exception {
        file("app.py", "import good\n");
        file("requirements.txt", "good\nlegacy; python_version < '3.8'\n");
        Path pk = outside.resolve("pk");
        Files.createDirectories(pk);
        Files.write(
                pk.resolve("good-1.0-py3-none-any.whl"),
                zip(
                        Map.of(
                                "good/__init__.py",
                                "X = 1\n",
                                "good-1.0.dist-info/METADATA",
                                "Name: good\n"
                                        + "Requires-Dist: modern ; python_version >= \"3.8\" and"
                                        + " sys_platform == \"wasi\"\n"
                                        + "Requires-Dist: legacy ; python_version < \"3.8\"\n"
                                        + "Requires-Dist: winonly ; sys_platform == \"win32\"\n")));
        Files.write(pk.resolve("modern-1.0-py3-none-any.whl"), zip(Map.of("modern.py", "")));
        // legacy and winonly are not in the folder: asking for them would fail the build
        String head = "FROM python:3.13\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n";
        assertThat(build(head + "RUN pip install good\n", pk).site())
                .containsKeys("good/__init__.py", "modern.py");
        assertThat(build(head + "RUN pip install -r requirements.txt\n", pk).site())
                .containsKeys("good/__init__.py", "modern.py");
        assertThatThrownBy(
                        () -> build(head + "RUN pip install 'good; python_version >> \"3\"'\n", pk))
                .hasMessageContaining("requirement good; python_version >> \"3\"");
    }

    @Test
    void javascriptBundlesCommonJsAndEsModules() throws Exception {
        file("a.js", "const cp = require('child_process');\nconsole.log(1);\n");
        BoxBuilder.Built b =
                build("FROM node:20\nWORKDIR /w\nCOPY a.js .\nCMD [\"node\", \"a.js\"]\n");
        List<String> warnings = new java.util.ArrayList<>();
        Map<String, byte[]> files = BoxImage.files(b, "a", "1.0.0", "p", warnings);
        assertThat(files)
                .containsKeys(
                        "skill.json", "box.json", "rootfs/w/a.js", "box/bundle.js", "box/skill.js");
        assertThat(warnings)
                .anyMatch(w -> w.contains("/w/a.js requires Node's built-in 'child_process'"));
        file("a.js", "import fs from 'fs';\nexport default fs;\n");
        BoxBuilder.Built esm =
                build("FROM node:20\nWORKDIR /w\nCOPY a.js .\nCMD [\"node\", \"a.js\"]\n");
        String bundle =
                new String(
                        BoxImage.files(esm, "a", "1.0.0", "p", new java.util.ArrayList<>())
                                .get("box/bundle.js"),
                        java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bundle).contains("__airlockDefault(__airlock_m0)").doesNotContain("import fs");
        file("a.js", "console.log(1);\nimport { a b } from 'x';\n");
        BoxBuilder.Built bad =
                build("FROM node:20\nWORKDIR /w\nCOPY a.js .\nCMD [\"node\", \"a.js\"]\n");
        assertThatThrownBy(
                        () -> BoxImage.files(bad, "a", "1.0.0", "p", new java.util.ArrayList<>()))
                .hasMessageContaining("/w/a.js:2: ',' or '}' was expected");
    }

    @Test
    void javascriptBundlesZlibOnlyWhereAFileNamesIt() throws Exception {
        String docker = "FROM node:20\nWORKDIR /w\nCOPY a.js .\nCMD [\"node\", \"a.js\"]\n";
        file("a.js", "console.log(require('stream').Readable);\n");
        assertThat(bundle(build(docker))).doesNotContain("function inflateCodes");
        file("a.js", "const { gzipSync } = require('node:zlib');\n");
        assertThat(bundle(build(docker))).contains("function inflateCodes");
        file("a.js", "import { gunzipSync } from \"zlib\";\nexport default gunzipSync;\n");
        assertThat(bundle(build(docker))).contains("function inflateCodes");
    }

    static String bundle(BoxBuilder.Built b) throws Exception {
        byte[] js =
                BoxImage.files(b, "a", "1.0.0", "p", new java.util.ArrayList<>())
                        .get("box/bundle.js");
        return new String(js, StandardCharsets.UTF_8);
    }

    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    /** A one-file ustar archive (written here: the JDK has no tar writer). */
    static byte[] tar(String name, String content) {
        byte[] body = content.getBytes(StandardCharsets.UTF_8);
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", body.length));
        put(h, 136, "00000000000");
        h[156] = '0';
        put(h, 257, "ustar");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h);
        out.writeBytes(body);
        out.writeBytes(new byte[(512 - body.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}

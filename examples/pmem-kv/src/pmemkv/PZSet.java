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


package pmemkv;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.concurrent.ThreadLocalRandom;

import jdk.internal.pmem.Pmem;

/**
 * A persistent sorted set, after Redis's skiplist encoding (t_zset.c): a
 * {@link PDict} of kind {@link PDict#ZSET} maps each member to its skiplist
 * node (the entry's value), and a skiplist with spans orders the nodes by
 * score, then by member (unsigned bytes, a prefix first), and gives ranks
 * in O(log n).
 *
 * <p>Every object here is persistent. Methods that change the set must run
 * inside a {@code Pmem.txn} opened by the caller, who also holds the lock
 * that guards the set. One add or remove stores into a few cache lines of
 * older nodes, all undo-logged, and a transaction's log is bounded (about
 * a thousand single-member changes fit the default 256K), so the bulk
 * methods ({@link #addAll}, {@link #removeRangeByRank},
 * {@link #removeRangeByScore}) rebuild the set from new objects when they
 * touch more than {@link #MAX_IN_PLACE} members. A caller that loops over
 * {@code add}/{@code remove} for many members in one transaction should
 * use them instead.
 *
 * <p>Scores are never NaN (the command layer refuses it); {@code -0.0} and
 * {@code 0.0} are the same score, as in C.
 */
final class PZSet {
    static final int MAX_LEVEL = 32;

    /** What the range methods hand out. */
    interface ZConsumer {
        void accept(byte[] member, double score);
    }

    /**
     * A skiplist node. Level 0 is inline ({@code next}; its span is 1 when
     * {@code next} is set, else 0, so it is not stored); levels 1 and up,
     * which three nodes in four lack, are in {@code up}/{@code upSpan}
     * (index {@code i - 1} for level {@code i}), null for a level-1 node.
     */
    static final class Node {
        byte[] member;      // the same array as the dict entry's key; null in the header
        double score;
        Node backward;      // null for the first node
        Node next;          // level-0 forward
        Node[] up;          // forward pointers of levels 1..level-1
        long[] upSpan;      // their spans

        static Node create(byte[] member, double score, int level) {
            Node n = Pmem.pnew(Node.class);
            n.member = member;
            n.score = score;
            if (level > 1) {
                n.up = Pmem.pmake(Node[].class, level - 1);
                n.upSpan = Pmem.pmake(long[].class, level - 1);
            }
            return n;
        }

        int level() {
            return up == null ? 1 : up.length + 1;
        }

        Node forward(int i) {
            return i == 0 ? next : up[i - 1];
        }

        void setForward(int i, Node n) {
            if (i == 0) {
                next = n;
            } else {
                up[i - 1] = n;
            }
        }

        long span(int i) {
            return i == 0 ? (next != null ? 1 : 0) : upSpan[i - 1];
        }

        void setSpan(int i, long span) {
            if (i != 0) {     // level 0's span follows from next
                upSpan[i - 1] = span;
            }
        }
    }

    PDict dict;         // member -> PEntry whose value is the member's Node
    Node header;        // MAX_LEVEL levels, no member
    Node tail;          // last node, null when empty
    long length;
    int level;          // levels in use, at least 1
    boolean big;        // Redis would have converted it to a skiplist by now (Encodings): never reset

    static PZSet create() {
        PZSet z = Pmem.pnew(PZSet.class);
        z.dict = PDict.create(PDict.ZSET);
        z.header = Node.create(null, 0, MAX_LEVEL);
        z.level = 1;
        return z;
    }

    long size() {
        return length;
    }

    boolean has(byte[] member) {
        return dict.find(member) != null;
    }

    /** The member's score, or NaN if it is absent (a stored score is never NaN). */
    double score(byte[] member) {
        PEntry e = dict.find(member);
        return e == null ? Double.NaN : ((Node) e.value).score;
    }

    /**
     * Adds {@code member} with {@code score}, or sets the score of a member
     * already there (the node moves in the skiplist only if its place
     * changes). The member is copied into persistent memory unless it is
     * persistent already. Returns true if the member is new. In a txn.
     */
    boolean add(byte[] member, double score) {
        PEntry e = dict.find(member);
        if (e != null) {
            Node x = (Node) e.value;
            if (x.score != score) {
                updateScore(x, big ? score : score + 0.0);
            }
            return false;
        }
        noteSize(member);
        byte[] m = Pmem.inPmem(member) ? member : Bytes.persist(member);
        Node x = Node.create(m, big ? score : score + 0.0, randomLevel());
        insertNode(x);
        dict.add(m, x);
        return true;
    }

    /** Removes {@code member}; returns false if it was absent. In a txn. */
    boolean remove(byte[] member) {
        PEntry e = dict.remove(member);
        if (e == null) {
            return false;
        }
        Node x = (Node) e.value;
        Node[] update = new Node[MAX_LEVEL];
        findUpdate(x.score, x.member, update);
        deleteNode(x, update);
        return true;
    }

    /** The member's 0-based rank, from the lowest score or, with {@code reverse}, the highest; -1 if absent. */
    long rank(byte[] member, boolean reverse) {
        PEntry e = dict.find(member);
        if (e == null) {
            return -1;
        }
        Node node = (Node) e.value;
        long rank = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && !less(node, f)) {   // f <= node
                rank += x.span(i);
                x = f;
            }
            if (x == node) {
                return reverse ? length - rank : rank - 1;
            }
        }
        throw new IllegalStateException("sorted set member not in its skiplist");
    }

    /**
     * Calls {@code action} on ranks {@code start..stop} (0-based, normalized,
     * inclusive) in ascending order or, with {@code reverse}, counting from
     * the highest score down.
     */
    void range(long start, long stop, boolean reverse, ZConsumer action) {
        if (start > stop || start >= length) {
            return;
        }
        Node x;
        if (reverse) {
            x = start == 0 ? tail : byRank(length - start);
        } else {
            x = start == 0 ? header.next : byRank(start + 1);
        }
        for (long n = stop - start + 1; n > 0 && x != null; n--) {
            action.accept(x.member, x.score);
            x = reverse ? x.backward : x.next;
        }
    }

    /**
     * ZRANGEBYSCORE: calls {@code action} on the members whose scores lie
     * between {@code min} and {@code max} (each bound inclusive unless its
     * flag says exclusive), lowest first, skipping the first {@code offset}
     * (a negative offset gives nothing, as in Redis) and stopping after
     * {@code count} ({@code count < 0}: no limit).
     */
    void rangeByScore(double min, boolean minExclusive, double max, boolean maxExclusive,
                      long offset, long count, ZConsumer action) {
        rangeByScore(min, minExclusive, max, maxExclusive, offset, count, false, action);
    }

    /**
     * As the other rangeByScore, and with {@code reverse} (ZREVRANGEBYSCORE)
     * highest score first: the offset then counts from the highest score in
     * range. {@code min <= max} either way.
     */
    void rangeByScore(double min, boolean minExclusive, double max, boolean maxExclusive,
                      long offset, long count, boolean reverse, ZConsumer action) {
        if (count == 0 || offset < 0 || length == 0
                || min > max || (min == max && (minExclusive || maxExclusive))) {
            return;
        }
        Node x = header;
        long traversed = 0;
        Node first;
        if (!reverse) {   // the first node >= min
            for (int i = level - 1; i >= 0; i--) {
                Node f;
                while ((f = x.forward(i)) != null && !gteMin(f.score, min, minExclusive)) {
                    traversed += x.span(i);
                    x = f;
                }
            }
            first = x.next;
            if (first == null || !lteMax(first.score, max, maxExclusive)) {
                return;
            }
            if (offset > 0) {
                long r = traversed + 1 + offset;
                if (r > length) {
                    return;
                }
                first = byRank(r);
            }
        } else {          // the last node <= max
            for (int i = level - 1; i >= 0; i--) {
                Node f;
                while ((f = x.forward(i)) != null && lteMax(f.score, max, maxExclusive)) {
                    traversed += x.span(i);
                    x = f;
                }
            }
            first = x == header ? null : x;
            if (first == null || !gteMin(first.score, min, minExclusive)) {
                return;
            }
            if (offset > 0) {
                long r = traversed - offset;
                if (r < 1) {
                    return;
                }
                first = byRank(r);
            }
        }
        for (Node n = first; n != null && count != 0; n = reverse ? n.backward : n.next) {
            if (reverse ? !gteMin(n.score, min, minExclusive) : !lteMax(n.score, max, maxExclusive)) {
                break;
            }
            action.accept(n.member, n.score);
            if (count > 0) {
                count--;
            }
        }
    }

    /** The number of members with scores in the range (ZCOUNT), in O(log n). */
    long countByScore(double min, boolean minExclusive, double max, boolean maxExclusive) {
        if (length == 0 || min > max || (min == max && (minExclusive || maxExclusive))) {
            return 0;
        }
        long upTo = 0;   // members <= max (< max if exclusive)
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && lteMax(f.score, max, maxExclusive)) {
                upTo += x.span(i);
                x = f;
            }
        }
        return Math.max(0, upTo - countBelow(min, minExclusive));
    }

    // ---- lexicographic ranges (ZRANGEBYLEX and friends) ----
    //
    // As in Redis, these assume the members all have the same score, so
    // that score order is member order; on a set with different scores
    // they walk the skiplist as if it were ordered by member alone.

    /** A lexicographic bound: {@code -} ({@code inf < 0}), {@code +} ({@code inf > 0}), or a member. */
    record Lex(byte[] v, boolean excl, int inf) {}

    /** Compares a member with a bound's value; {@code -} is below and {@code +} above every member. */
    private static int compareLex(byte[] m, Lex b) {
        return b.inf < 0 ? 1 : b.inf > 0 ? -1 : compare(m, b.v);
    }

    private static boolean lexGteMin(byte[] m, Lex min) {
        int c = compareLex(m, min);
        return min.excl ? c > 0 : c >= 0;
    }

    private static boolean lexLteMax(byte[] m, Lex max) {
        int c = compareLex(m, max);
        return max.excl ? c < 0 : c <= 0;
    }

    /** Whether no member can lie in [min, max] (Redis's zslIsInLexRange test; '-' and '+' are exclusive). */
    static boolean lexEmpty(Lex min, Lex max) {
        int c;
        if (min.inf != 0 && min.inf == max.inf) {
            c = 0;
        } else if (min.inf < 0 || max.inf > 0) {
            c = -1;
        } else if (min.inf > 0 || max.inf < 0) {
            c = 1;
        } else {
            c = compare(min.v, max.v);
        }
        return c > 0 || (c == 0 && (min.excl || max.excl));
    }

    /** The number of leading members below {@code min}. */
    private long countBelowLex(Lex min) {
        long below = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && !lexGteMin(f.member, min)) {
                below += x.span(i);
                x = f;
            }
        }
        return below;
    }

    /** The number of leading members not above {@code max}. */
    private long countUpToLex(Lex max) {
        long upTo = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && lexLteMax(f.member, max)) {
                upTo += x.span(i);
                x = f;
            }
        }
        return upTo;
    }

    /** ZLEXCOUNT: the number of members in the range. */
    long countByLex(Lex min, Lex max) {
        if (length == 0 || lexEmpty(min, max)) {
            return 0;
        }
        return Math.max(0, countUpToLex(max) - countBelowLex(min));
    }

    /**
     * ZRANGEBYLEX (ZREVRANGEBYLEX with {@code reverse}): the members in the
     * range, skipping {@code offset} (negative: nothing) and at most
     * {@code count} ({@code < 0}: no limit).
     */
    void rangeByLex(Lex min, Lex max, long offset, long count, boolean reverse, ZConsumer action) {
        if (count == 0 || offset < 0 || length == 0 || lexEmpty(min, max)) {
            return;
        }
        long lo = countBelowLex(min), hi = countUpToLex(max);   // ranks lo..hi-1
        if (hi <= lo) {
            return;
        }
        if (!reverse) {
            long start = lo + offset;
            if (start >= hi) {
                return;
            }
            long stop = count < 0 || count > hi - start ? hi - 1 : start + count - 1;
            range(start, stop, false, action);
        } else {
            long top = hi - 1 - offset;
            if (top < lo) {
                return;
            }
            long bottom = count < 0 || count > top - lo + 1 ? lo : top - count + 1;
            range(length - 1 - top, length - 1 - bottom, true, action);
        }
    }

    /** ZREMRANGEBYLEX: removes the members in the range; returns how many. In a txn. */
    long removeRangeByLex(Lex min, Lex max) {
        if (length == 0 || lexEmpty(min, max)) {
            return 0;
        }
        long lo = countBelowLex(min), hi = countUpToLex(max);
        return hi <= lo ? 0 : removeRangeByRank(lo, hi - 1);
    }

    // ---- bulk changes ----
    //
    // One add or remove stores into a few cache lines of older objects, all
    // undo-logged: a 256K log holds about a thousand of them (measured on a
    // set of 30000: 1130 removes, 1148 adds, 642 moving score updates). So
    // a change to more than MAX_IN_PLACE members builds a new skiplist and
    // dict in the transaction (new objects are not logged) and swaps them in.

    /** Changes to more members than this in one call rebuild the set. */
    static final int MAX_IN_PLACE = 256;

    /**
     * ZADD of several members: as {@code add} on each pair in turn (the
     * last score given for a member wins); returns how many members are
     * new. Rebuilds the set when there are more than MAX_IN_PLACE pairs.
     * In a txn.
     */
    long addAll(byte[][] members, double[] scores) {
        long added = 0;
        if (members.length <= MAX_IN_PLACE) {
            for (int i = 0; i < members.length; i++) {
                if (add(members[i], scores[i])) {
                    added++;
                }
            }
            return added;
        }
        // The final score of every member named, folded as add would.
        LinkedHashMap<ByteBuffer, double[]> fin = new LinkedHashMap<>();
        for (int i = 0; i < members.length; i++) {
            ByteBuffer key = ByteBuffer.wrap(members[i]);
            double[] cur = fin.get(key);
            if (cur == null) {
                PEntry e = dict.find(members[i]);
                if (e == null) {
                    added++;
                    fin.put(key, new double[] {scores[i]});
                } else {
                    double old = ((Node) e.value).score;
                    fin.put(key, new double[] {old != scores[i] ? scores[i] : old});
                }
            } else if (cur[0] != scores[i]) {
                cur[0] = scores[i];
            }
        }
        PZSet fresh = create();
        fresh.big = big;
        for (Node x = header.next; x != null; x = x.next) {
            double[] v = fin.remove(ByteBuffer.wrap(x.member));
            fresh.append(x.member, v == null ? x.score : v[0]);
        }
        for (var e : fin.entrySet()) {   // the new members
            byte[] m = e.getKey().array();
            fresh.append(Pmem.inPmem(m) ? m : Bytes.persist(m), e.getValue()[0]);
        }
        replaceWith(fresh);
        return added;
    }

    /** ZREMRANGEBYRANK: removes ranks {@code start..stop} (0-based, normalized, inclusive); returns how many. In a txn. */
    long removeRangeByRank(long start, long stop) {
        if (start > stop || start >= length) {
            return 0;
        }
        stop = Math.min(stop, length - 1);
        long n = stop - start + 1;
        if (n > MAX_IN_PLACE) {
            PZSet fresh = create();
            fresh.big = big;
            long r = 0;
            for (Node x = header.next; x != null; x = x.next, r++) {
                if (r < start || r > stop) {
                    fresh.append(x.member, x.score);
                }
            }
            replaceWith(fresh);
            return n;
        }
        // zslDeleteRangeByRank: one descent, then the update array serves every node in turn
        Node[] update = new Node[MAX_LEVEL];
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && traversed + x.span(i) <= start) {
                traversed += x.span(i);
                x = f;
            }
            update[i] = x;
        }
        x = x.next;
        for (long k = 0; k < n; k++) {
            Node next = x.next;
            deleteNode(x, update);
            dict.remove(x.member);
            x = next;
        }
        return n;
    }

    /** ZREMRANGEBYSCORE: removes the members with scores in the range; returns how many. In a txn. */
    long removeRangeByScore(double min, boolean minExclusive, double max, boolean maxExclusive) {
        if (length == 0 || min > max || (min == max && (minExclusive || maxExclusive))) {
            return 0;
        }
        long below = countBelow(min, minExclusive);
        long n = countByScore(min, minExclusive, max, maxExclusive);
        return n == 0 ? 0 : removeRangeByRank(below, below + n - 1);
    }

    /** The number of members below the range's lower bound. */
    private long countBelow(double min, boolean minExclusive) {
        long below = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && !gteMin(f.score, min, minExclusive)) {
                below += x.span(i);
                x = f;
            }
        }
        return below;
    }

    /** Adds a member known to be absent (persistent) to a set being built. */
    private void append(byte[] member, double score) {
        noteSize(member);
        Node x = Node.create(member, big ? score : score + 0.0, randomLevel());
        insertNode(x);
        dict.add(member, x);
    }

    /**
     * Before an insertion, as Redis's zsetAdd: past the listpack limits the
     * set is (for good) a skiplist. A listpack keeps -0 as 0; a skiplist
     * keeps -0, which Redis prints as such.
     */
    private void noteSize(byte[] member) {
        if (!big && (length + 1 > Encodings.zsetEntries || member.length > Encodings.zsetValue)) {
            big = true;
        }
    }

    /**
     * A set that a store command (ZUNIONSTORE, ...) or a load (RESTORE)
     * fills: as Redis builds those, a skiplist until {@link #finishBuild}.
     */
    static PZSet building() {
        PZSet z = create();
        z.big = true;
        return z;
    }

    /** The set is built: within the listpack limits it is a listpack, as Redis converts it (-0 becomes 0). */
    void finishBuild() {
        if (length > Encodings.zsetEntries) {
            return;
        }
        for (Node x = header.next; x != null; x = x.next) {
            if (x.member.length > Encodings.zsetValue) {
                return;
            }
        }
        big = false;
        for (Node x = header.next; x != null; x = x.next) {
            if (x.score == 0 && Double.doubleToRawLongBits(x.score) != 0) {
                x.score = 0.0;   // a listpack keeps no -0
            }
        }
    }

    /** Takes over the contents of {@code fresh}, a set built in this transaction. */
    private void replaceWith(PZSet fresh) {
        dict = fresh.dict;
        header = fresh.header;
        tail = fresh.tail;
        length = fresh.length;
        level = fresh.level;
        big |= fresh.big;
    }

    // ---- the skiplist ----

    private static int randomLevel() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int level = 1;
        while (level < MAX_LEVEL && r.nextInt(4) == 0) {   // p = 0.25
            level++;
        }
        return level;
    }

    private static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Whether node {@code a} orders before {@code b}: by score, then member. */
    private static boolean less(Node a, Node b) {
        return a.score < b.score || (a.score == b.score && compare(a.member, b.member) < 0);
    }

    private static boolean less(Node a, double score, byte[] member) {
        return a.score < score || (a.score == score && compare(a.member, member) < 0);
    }

    private static boolean gteMin(double s, double min, boolean exclusive) {
        return exclusive ? s > min : s >= min;
    }

    private static boolean lteMax(double s, double max, boolean exclusive) {
        return exclusive ? s < max : s <= max;
    }

    /** Fills {@code update[i]}: the last node at level i ordering before (score, member). */
    private void findUpdate(double score, byte[] member, Node[] update) {
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && less(f, score, member)) {
                x = f;
            }
            update[i] = x;
        }
    }

    /** Links {@code x}, whose level is fixed by its arrays, at its place (zslInsert). */
    private void insertNode(Node x) {
        Node[] update = new Node[MAX_LEVEL];
        long[] rank = new long[MAX_LEVEL];
        Node h = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            Node f;
            while ((f = h.forward(i)) != null && less(f, x)) {
                rank[i] += h.span(i);
                h = f;
            }
            update[i] = h;
        }
        int lvl = x.level();
        if (lvl > level) {
            for (int i = level; i < lvl; i++) {
                rank[i] = 0;
                update[i] = header;
                header.setSpan(i, length);
            }
            level = lvl;
        }
        for (int i = 0; i < lvl; i++) {
            Node u = update[i];
            long uSpan = u.span(i);
            x.setForward(i, u.forward(i));
            u.setForward(i, x);
            x.setSpan(i, uSpan - (rank[0] - rank[i]));
            u.setSpan(i, rank[0] - rank[i] + 1);
        }
        for (int i = lvl; i < level; i++) {   // levels above x: one more node under their spans
            update[i].setSpan(i, update[i].span(i) + 1);
        }
        x.backward = update[0] == header ? null : update[0];
        if (x.next != null) {
            x.next.backward = x;
        } else {
            tail = x;
        }
        length++;
    }

    /** Unlinks {@code x}, given the update array findUpdate filled for it (zslDeleteNode). */
    private void deleteNode(Node x, Node[] update) {
        for (int i = 0; i < level; i++) {
            Node u = update[i];
            if (u.forward(i) == x) {
                u.setSpan(i, u.span(i) + x.span(i) - 1);
                u.setForward(i, x.forward(i));
            } else {
                u.setSpan(i, u.span(i) - 1);
            }
        }
        if (x.next != null) {
            x.next.backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward(level - 1) == null) {
            level--;
        }
        length--;
    }

    /** Sets {@code x}'s score: in place if its neighbours still bracket it, else unlink and relink. */
    private void updateScore(Node x, double score) {
        Node b = x.backward, n = x.next;
        if ((b == null || less(b, score, x.member))
                && (n == null || n.score > score || (n.score == score && compare(n.member, x.member) > 0))) {
            x.score = score;
            return;
        }
        Node[] update = new Node[MAX_LEVEL];
        findUpdate(x.score, x.member, update);
        deleteNode(x, update);
        x.score = score;
        insertNode(x);
    }

    /** The node of 1-based rank {@code rank}, or null (zslGetElementByRank). */
    private Node byRank(long rank) {
        long traversed = 0;
        Node x = header;
        for (int i = level - 1; i >= 0; i--) {
            Node f;
            while ((f = x.forward(i)) != null && traversed + x.span(i) <= rank) {
                traversed += x.span(i);
                x = f;
            }
            if (traversed == rank) {
                return x == header ? null : x;
            }
        }
        return null;
    }
}

/// Go's `sort.Sort` as of Go 1.16 (pattern-defeating quicksort's predecessor: median-of-three
/// quicksort, heapsort fallback, a shell pass and insertion sort for short runs).
///
/// etcd 3.5 sorts range results with `sort.Sort`, which is not stable: keys that tie on the
/// sort target come out in an order only this exact algorithm reproduces. Clients that page
/// through sorted results see the same pages from Ketch as from etcd only if we sort alike.
struct GoSort<Element> {
    var items: [Element]
    let less: (Element, Element) -> Bool

    /// Sorts `items` by `less`, exactly as Go 1.16's `sort.Sort` would order them.
    static func sort(_ items: [Element], by less: @escaping (Element, Element) -> Bool) -> [Element] {
        var s = GoSort(items: items, less: less)
        let n = s.items.count
        var depth = 0
        var i = n
        while i > 0 {
            depth += 1
            i >>= 1
        }
        s.quickSort(0, n, depth * 2)
        return s.items
    }

    private func lessAt(_ i: Int, _ j: Int) -> Bool { less(items[i], items[j]) }
    private mutating func swapAt(_ i: Int, _ j: Int) { items.swapAt(i, j) }

    private mutating func insertionSort(_ a: Int, _ b: Int) {
        var i = a + 1
        while i < b {
            var j = i
            while j > a && lessAt(j, j - 1) {
                swapAt(j, j - 1)
                j -= 1
            }
            i += 1
        }
    }

    private mutating func siftDown(_ lo: Int, _ hi: Int, _ first: Int) {
        var root = lo
        while true {
            var child = 2 * root + 1
            if child >= hi { return }
            if child + 1 < hi && lessAt(first + child, first + child + 1) { child += 1 }
            if !lessAt(first + root, first + child) { return }
            swapAt(first + root, first + child)
            root = child
        }
    }

    private mutating func heapSort(_ a: Int, _ b: Int) {
        let first = a
        let hi = b - a
        var i = (hi - 1) / 2
        while i >= 0 {
            siftDown(i, hi, first)
            i -= 1
        }
        i = hi - 1
        while i >= 0 {
            swapAt(first, first + i)
            siftDown(0, i, first)
            i -= 1
        }
    }

    private mutating func medianOfThree(_ m1: Int, _ m0: Int, _ m2: Int) {
        if lessAt(m1, m0) { swapAt(m1, m0) }
        if lessAt(m2, m1) {
            swapAt(m2, m1)
            if lessAt(m1, m0) { swapAt(m1, m0) }
        }
    }

    private mutating func doPivot(_ lo: Int, _ hi: Int) -> (Int, Int) {
        let m = (lo + hi) >> 1
        if hi - lo > 40 {
            let s = (hi - lo) / 8
            medianOfThree(lo, lo + s, lo + 2 * s)
            medianOfThree(m, m - s, m + s)
            medianOfThree(hi - 1, hi - 1 - s, hi - 1 - 2 * s)
        }
        medianOfThree(lo, m, hi - 1)

        let pivot = lo
        var a = lo + 1
        var c = hi - 1
        while a < c && lessAt(a, pivot) { a += 1 }
        var b = a
        while true {
            while b < c && !lessAt(pivot, b) { b += 1 }
            while b < c && lessAt(pivot, c - 1) { c -= 1 }
            if b >= c { break }
            swapAt(b, c - 1)
            b += 1
            c -= 1
        }
        var protect = hi - c < 5
        if !protect && hi - c < (hi - lo) / 4 {
            var dups = 0
            if !lessAt(pivot, hi - 1) {
                swapAt(c, hi - 1)
                c += 1
                dups += 1
            }
            if !lessAt(b - 1, pivot) {
                b -= 1
                dups += 1
            }
            if !lessAt(m, pivot) {
                swapAt(m, b - 1)
                b -= 1
                dups += 1
            }
            protect = dups > 1
        }
        if protect {
            while true {
                while a < b && !lessAt(b - 1, pivot) { b -= 1 }
                while a < b && lessAt(a, pivot) { a += 1 }
                if a >= b { break }
                swapAt(a, b - 1)
                a += 1
                b -= 1
            }
        }
        swapAt(pivot, b - 1)
        return (b - 1, c)
    }

    private mutating func quickSort(_ a0: Int, _ b0: Int, _ depth0: Int) {
        var a = a0
        var b = b0
        var maxDepth = depth0
        while b - a > 12 {
            if maxDepth == 0 {
                heapSort(a, b)
                return
            }
            maxDepth -= 1
            let (mlo, mhi) = doPivot(a, b)
            if mlo - a < b - mhi {
                quickSort(a, mlo, maxDepth)
                a = mhi
            } else {
                quickSort(mhi, b, maxDepth)
                b = mlo
            }
        }
        if b - a > 1 {
            var i = a + 6
            while i < b {
                if lessAt(i, i - 6) { swapAt(i, i - 6) }
                i += 1
            }
            insertionSort(a, b)
        }
    }
}

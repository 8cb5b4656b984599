console.log(btoa("hello world"), btoa(""), btoa("a"), btoa("ab"), btoa("\xff\xfe"));
console.log(atob("aGVsbG8gd29ybGQ="), atob("YQ"), atob(" YW Jj "), atob("").length);
try { btoa("€"); } catch (e) { console.log(e.name); }
try { atob("@@@"); } catch (e) { console.log(e.name); }
const bin = atob(btoa(String.fromCharCode(...[0, 128, 255]))); console.log([...bin].map((c) => c.charCodeAt(0)));

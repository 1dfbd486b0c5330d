import json, sys
for l in open(sys.argv[1]):
    r=json.loads(l)
    flags=[]
    if 'reader_err' in r: flags.append('RERR '+r['reader_err'][-90:])
    if 'scan_err' in r: flags.append('SERR '+r['scan_err'])
    if r.get('agree') is False: flags.append('DISAGREE')
    if r['exit']!=0: flags.append('EXIT%d %s'%(r['exit'], r.get('msg','').split(chr(10))[0][-100:]))
    if 'exc' in r: flags.append('EXC')
    if r.get('mscore_agree') is False: flags.append('MSCORE')
    if r.get('mscore')=='no export': flags.append('MS-noexport')
    print(r['case'], '|', ' ; '.join(flags) or 'ok', '| R', r.get('reader'), '| M', r.get('mscore','='))
